# The bench program as init for a few iterations: the smoke in make test.
@0xc1a2b3c4d5e6f71f;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/bench.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
        (name = "ep", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
        (name = "park", expectedInterfaceId = 0xf9b09c61753c2c08, source = (kernel = parkSpace)),

      ],
    ),
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
