# A runtime boot: init is rt-check (heap, exceptions, release queue); it
# holds a second Console cap, "probe", to release.
@0xc1a2b3c4d5e6f716;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/rt-check.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "probe", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
      ],
    ),
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
