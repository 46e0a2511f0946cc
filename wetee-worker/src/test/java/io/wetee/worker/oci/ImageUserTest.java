package io.wetee.worker.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every form of the image config's {@code User} resolved against an image's account files. */
class ImageUserTest {
  @TempDir Path rootfs;

  @BeforeEach
  void accounts() throws Exception {
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(
        rootfs.resolve("etc/passwd"),
        """
        root:x:0:0:root:/root:/bin/sh
        # a comment line
        app:x:1000:1001:an app:/work:/bin/sh
        svc:x:2000:2000::/:/bin/false
        """);
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1001:\nstaff:x:50:app\n");
  }

  @Test
  void anEmptyUserIsRoot() {
    assertThat(ImageUser.resolve("", rootfs)).isEqualTo(new ImageUser(0, 0));
  }

  @Test
  void resolvesEveryFormOfTheImageSpec() {
    assertThat(ImageUser.resolve("1000:1000", rootfs)).isEqualTo(new ImageUser(1000, 1000));
    assertThat(ImageUser.resolve("app", rootfs)).isEqualTo(new ImageUser(1000, 1001));
    assertThat(ImageUser.resolve("app:staff", rootfs)).isEqualTo(new ImageUser(1000, 50));
    assertThat(ImageUser.resolve("app:7", rootfs)).isEqualTo(new ImageUser(1000, 7));
    assertThat(ImageUser.resolve("2000:staff", rootfs)).isEqualTo(new ImageUser(2000, 50));
    // A numeric uid alone takes its primary group from passwd, or 0 when passwd does not list it.
    assertThat(ImageUser.resolve("1000", rootfs)).isEqualTo(new ImageUser(1000, 1001));
    assertThat(ImageUser.resolve("4242", rootfs)).isEqualTo(new ImageUser(4242, 0));
  }

  @Test
  void anUnknownUserOrGroupIsAnErrorNamingIt() {
    assertThatThrownBy(() -> ImageUser.resolve("ghost", rootfs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("image User \"ghost\": no user \"ghost\" in the image's /etc/passwd");
    assertThatThrownBy(() -> ImageUser.resolve("app:wheel", rootfs))
        .hasMessage("image User \"app:wheel\": no group \"wheel\" in the image's /etc/group");
    assertThatThrownBy(() -> ImageUser.resolve("1000:wheel", rootfs))
        .hasMessageContaining("no group \"wheel\"");
  }

  @Test
  void aMalformedUserIsRefused() {
    for (String bad : new String[] {":", "app:", ":app", "a:b:c"}) {
      assertThatThrownBy(() -> ImageUser.resolve(bad, rootfs))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("image User \"" + bad + "\" is malformed");
    }
    assertThatThrownBy(() -> ImageUser.resolve("99999999999", rootfs))
        .hasMessage("image User \"99999999999\": id 99999999999 is too large");
  }

  @Test
  void accountFilesAreNeverReadThroughASymlink(@TempDir Path outside) throws Exception {
    // The worker's own passwd-like file outside the image must not resolve the image's user.
    Files.writeString(outside.resolve("passwd"), "evil:x:0:0::/:/bin/sh\n");
    Files.delete(rootfs.resolve("etc/passwd"));
    Files.createSymbolicLink(rootfs.resolve("etc/passwd"), outside.resolve("passwd"));
    assertThatThrownBy(() -> ImageUser.resolve("evil", rootfs))
        .hasMessageContaining("no user \"evil\"");

    Path linkedEtc = outside.resolve("image");
    Files.createDirectories(linkedEtc);
    Files.createSymbolicLink(linkedEtc.resolve("etc"), outside);
    assertThatThrownBy(() -> ImageUser.resolve("evil", linkedEtc))
        .hasMessageContaining("no user \"evil\"");
    // Numeric ids need no account file.
    assertThat(ImageUser.resolve("5:6", linkedEtc)).isEqualTo(new ImageUser(5, 6));
  }
}
