package io.wetee.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.wetee.worker.spi.Enforcement.Mechanism;
import io.wetee.worker.spi.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection and controller files against fake cgroup trees (a v2 host cannot be simulated on a v1
 * host otherwise); the real v1 or v2 path is exercised by LimitsTest on the machine itself.
 */
class CgroupsTest {
  @TempDir Path root;

  private static final String V2_MOUNTINFO =
      "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw\n";

  private static final String HYBRID_MOUNTINFO =
      """
      31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
      32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
      35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
      41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
      """;

  @Test
  void detectsCgroupV2BelowTheWorkersOwnCgroupAndWritesItsLimits() throws Exception {
    Path own = Files.createDirectories(root.resolve("sys/fs/cgroup/system.slice/worker.service"));
    Files.writeString(own.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
    Files.writeString(own.resolve("cgroup.subtree_control"), "");

    Cgroups cgroups =
        new CgroupDetector(root, V2_MOUNTINFO, "0::/system.slice/worker.service\n", 42)
            .detect("wetee");
    Path group = own.resolve("wetee/abc-web");
    Files.createDirectories(group);
    Files.writeString(group.resolve("memory.swap.max"), "max");
    Cgroups.InstanceCgroup instance =
        cgroups.create("abc-web", Limits.DEFAULT.withMemoryBytes(64L << 20).withCpuMillis(250));

    assertThat(cgroups.memory()).isEqualTo(Mechanism.CGROUP_V2);
    assertThat(cgroups.cpu()).isEqualTo(Mechanism.CGROUP_V2);
    assertThat(cgroups.processes()).isEqualTo(Mechanism.CGROUP_V2);
    assertThat(own.resolve("cgroup.subtree_control")).hasContent("+memory +cpu +pids");
    assertThat(own.resolve("wetee/cgroup.subtree_control")).hasContent("+memory +cpu +pids");
    assertThat(instance.procsFiles()).containsExactly(group.resolve("cgroup.procs"));
    assertThat(group.resolve("memory.max")).hasContent("67108864");
    assertThat(group.resolve("memory.swap.max")).hasContent("0");
    assertThat(group.resolve("cpu.max")).hasContent("25000 100000");
    assertThat(group.resolve("pids.max")).hasContent("max");

    // The start-up allowance is written, then the group's own limit again.
    assertThat(cgroups.setCpu(instance, Launcher.startCpuMillis(250))).isTrue();
    assertThat(group.resolve("cpu.max")).hasContent("200000 100000");
    assertThat(cgroups.setCpu(instance, 250)).isTrue();
    assertThat(group.resolve("cpu.max")).hasContent("25000 100000");
    assertThat(Launcher.startCpuMillis(0)).isZero(); // unlimited stays unlimited
    assertThat(Launcher.startCpuMillis(4000)).isEqualTo(4000); // never lowers a limit
    try (var files = Files.walk(group)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    assertThat(cgroups.setCpu(instance, 250)).isFalse(); // the instance is gone: nothing to do
  }

  @Test
  void usesV1HierarchiesOnAHybridHostWhereV2OffersNoController() throws Exception {
    Path unified = Files.createDirectories(root.resolve("sys/fs/cgroup/unified"));
    Files.writeString(unified.resolve("cgroup.controllers"), "hugetlb\n");
    Path memory = Files.createDirectories(root.resolve("sys/fs/cgroup/memory/jobs/7"));
    Files.createDirectories(root.resolve("sys/fs/cgroup/cpu,cpuacct"));
    String self = "4:memory:/jobs/7\n3:cpu,cpuacct:/\n0::/\n";

    Cgroups cgroups = new CgroupDetector(root, HYBRID_MOUNTINFO, self, 42).detect("wetee");
    Path group = memory.resolve("wetee/abc-web");
    Files.createDirectories(group);
    Files.writeString(group.resolve("memory.memsw.limit_in_bytes"), "");
    Files.writeString(
        group.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    Cgroups.InstanceCgroup instance =
        cgroups.create("abc-web", Limits.DEFAULT.withMemoryBytes(1 << 20).withCpuMillis(1500));

    assertThat(cgroups.memory()).isEqualTo(Mechanism.CGROUP_V1);
    assertThat(cgroups.cpu()).isEqualTo(Mechanism.CGROUP_V1);
    assertThat(cgroups.processes()).isEqualTo(Mechanism.NONE);
    assertThat(cgroups.detail()).contains("pids not available").contains("offers none of");
    assertThat(instance.procsFiles())
        .containsExactly(
            group.resolve("cgroup.procs"),
            root.resolve("sys/fs/cgroup/cpu,cpuacct/wetee/abc-web/cgroup.procs"));
    assertThat(group.resolve("memory.limit_in_bytes")).hasContent("1048576");
    assertThat(group.resolve("memory.memsw.limit_in_bytes")).hasContent("1048576");
    assertThat(root.resolve("sys/fs/cgroup/cpu,cpuacct/wetee/abc-web/cpu.cfs_quota_us"))
        .hasContent("150000");
    assertThat(instance.oomKilled()).isTrue();
  }

  @Test
  void reportsNoControllerWhenNothingIsWritable() {
    Cgroups cgroups =
        new CgroupDetector(root, "1 0 0:1 / / rw - ext4 /dev/root rw\n", "0::/\n", 42)
            .detect("wetee");

    assertThat(cgroups.memory()).isEqualTo(Mechanism.NONE);
    assertThat(cgroups.detail()).startsWith("no writable cgroup controller");
    assertThat(cgroups.create("x", Limits.DEFAULT).procsFiles()).isEmpty();
  }

  @Test
  void withoutCgroupsMemoryFallsBackToRlimitAndCpuIsNotEnforced() {
    var enforcement = RuntimeEnforcement.of(Cgroups.none("test"), true);

    assertThat(enforcement.memory()).isEqualTo(Mechanism.RLIMIT);
    assertThat(enforcement.cpu()).isEqualTo(Mechanism.NONE);
    assertThat(enforcement.processes()).isEqualTo(Mechanism.RLIMIT);
    assertThat(RuntimeEnforcement.of(Cgroups.none("test"), false).processes())
        .isEqualTo(Mechanism.NONE);
  }

  @Test
  void missingPackageFaultNamesTheDebianPackage() {
    var missing = java.util.Map.of("wetee-no-such-tool", "wetee-no-such-package");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SystemPackages.require(missing, false))
        .isInstanceOf(WorkerException.class)
        .hasMessage(
            "the local runtime needs the Debian package(s) wetee-no-such-package;"
                + " install them with: apt-get install -y wetee-no-such-package");
  }
}
