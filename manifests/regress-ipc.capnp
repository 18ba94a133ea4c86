# Regression boot for Bug 3 of docs/panic-inventory.md
# (tests/qemu/regress-ipc.scenario): init spawns regress-ipc, which holds
# two Endpoints of its own, threads and a ProcessSpawner, and serves calls
# whose calling threads have exited, its own and a child's.
@0xc1a2b3c4d5e6f731;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/init.elf"),
    (name = "regress-ipc", data = embed "/build/user/regress-ipc.elf"),
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
      (name = "regress-ipc", binary = "regress-ipc", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
        (name = "threads", expectedInterfaceId = 0xa90136ba275b4490, source = (kernel = threadSpawner)),
        (name = "thread", expectedInterfaceId = 0x96da06379c0be040, source = (kernel = threadControl)),
        (name = "ep", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
        (name = "sync", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
      ]),
    ],
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
