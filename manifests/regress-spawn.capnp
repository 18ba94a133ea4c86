# Regression boot for Bugs 2 and 4 of docs/panic-inventory.md
# (tests/qemu/regress-spawn.scenario): init spawns regress-spawn, which
# holds a ProcessSpawner, a FrameAllocator and an Endpoint of its own and
# drives both ProcessSpawner rollback paths, running itself as the
# children that serve the minted endpoints.
@0xc1a2b3c4d5e6f730;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/init.elf"),
    (name = "regress-spawn", data = embed "/build/user/regress-spawn.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "boot", expectedInterfaceId = 0xc2b39eafa7c7f39b, source = (kernel = bootPackage)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
      ],
    ),
    services = [
      (name = "regress-spawn", binary = "regress-spawn", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
        (name = "frames", expectedInterfaceId = 0xd8c105bd3dc44b48, source = (kernel = frameAllocator)),
        (name = "ep", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
      ]),
    ],
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
