# Regression boot for Bug 1 of docs/panic-inventory.md
# (tests/qemu/regress-sched.scenario): init spawns regress-sched, which
# holds an Endpoint, threads and a ProcessSpawner, runs itself as a filler
# and a victim process, and creates threads while the victim's dead
# threads are still queued. Nothing else runs: the test counts run-queue
# entries and thread slots.
@0xc1a2b3c4d5e6f732;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/init.elf"),
    (name = "regress-sched", data = embed "/build/user/regress-sched.elf"),
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
      (name = "regress-sched", binary = "regress-sched", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
        (name = "threads", expectedInterfaceId = 0xa90136ba275b4490, source = (kernel = threadSpawner)),
        (name = "thread", expectedInterfaceId = 0x96da06379c0be040, source = (kernel = threadControl)),
        (name = "ep", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
      ]),
    ],
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
