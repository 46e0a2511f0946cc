package io.wetee.worker;

import io.wetee.worker.spi.InstanceId;
import io.wetee.worker.spi.LaunchSpec;
import io.wetee.worker.spi.StartResult;
import io.wetee.worker.spi.WorkloadRuntime;
import java.nio.file.Path;

/**
 * A stand-in worker process for {@link WorkerKillIT}: opens the runtime over a state directory,
 * starts one instance, says so on stdout and waits to be killed.
 */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    WorkloadRuntime runtime = Runtimes.local(LocalRuntimeConfig.defaults(Path.of(args[0])));
    LaunchSpec spec =
        LaunchSpec.builder(InstanceId.of(args[1]), "w1", 1)
            .command("/bin/sh", "-c", "echo started >> /work/starts; exec sleep 60")
            .build();
    StartResult result = runtime.start(spec);
    System.out.println("ready " + result.getClass().getSimpleName());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
