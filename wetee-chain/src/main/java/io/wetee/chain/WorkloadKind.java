package io.wetee.chain;

/** A long-running service or a task that runs to completion; codes are the contract's. */
public enum WorkloadKind {
  SERVICE,
  TASK
}
