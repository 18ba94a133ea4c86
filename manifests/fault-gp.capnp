# A fault-isolation boot: init is fault-gp, which commits a privileged instruction (#GP);
# the kernel must end only that process and then halt cleanly.
@0xc1a2b3c4d5e6f712;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/fault-gp.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
      ],
    ),
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
