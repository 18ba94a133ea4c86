# A fault-isolation boot: init is fault-null, which commits a null store (#PF);
# the kernel must end only that process and then halt cleanly.
@0xc1a2b3c4d5e6f711;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/fault-null.elf"),
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
