import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.cache/**', 'benchmarks/kafka-streams-reference/target/**', 'schemas/generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Engine code takes time from an injected Clock (runtime/time).' },
      ],
    },
  },
  {
    files: ['test/**', 'benchmarks/**', 'deploy/**', 'bin/**', 'runtime/time/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
