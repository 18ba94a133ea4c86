# The bench program as init for a few iterations, on the measure build:
# the smoke in make test.
@0xc1a2b3c4d5e6f71f;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/bench.elf"),
    (name = "bench-child", data = embed "/build/user/bench-child.elf"),
    (name = "bench-load", data = embed "/build/user/bench-load.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
        (name = "null", expectedInterfaceId = 0xa20415e27d661508, source = (kernel = nullCap)),
        (name = "ep", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
        (name = "park", expectedInterfaceId = 0xf9b09c61753c2c08, source = (kernel = parkSpace)),
        (name = "threads", expectedInterfaceId = 0xa90136ba275b4490, source = (kernel = threadSpawner)),
        (name = "thread", expectedInterfaceId = 0x96da06379c0be040, source = (kernel = threadControl)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
      ],
    ),
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
