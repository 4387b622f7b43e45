import { afterEach } from 'vitest';
import { TopologyTestDriver, type Topology, type TopologyTestDriverConfig } from '../../../runtime/index.ts';

/** What a suite of test-driver tests shares: see driverSuite. */
export interface DriverSuite {
  /** Starts a driver on `topology`; it is closed after the test. */
  create(topology: Topology, config?: TopologyTestDriverConfig): Promise<TopologyTestDriver>;
  /** Closes the drivers started so far, for a test that cleans up after them itself. */
  close(): Promise<void>;
}

/**
 * Registers the clean-up every TopologyTestDriver suite needs: each driver a test starts
 * with `create` is closed (its stores, its temporary state folder) after that test.
 */
export function driverSuite(): DriverSuite {
  let open: TopologyTestDriver[] = [];
  const close = async (): Promise<void> => {
    const closing = open;
    open = [];
    for (const driver of closing) await driver.close();
  };
  afterEach(close);
  return {
    async create(topology, config) {
      const driver = await TopologyTestDriver.create(topology, config);
      open.push(driver);
      return driver;
    },
    close,
  };
}
