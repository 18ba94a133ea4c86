# Threads, park and the runtime locks: init spawns thread-check (the whole
# lifecycle, park and lock checks) and park-exit (the same binary, which
# exits with a thread still parked).
@0xc1a2b3c4d5e6f71c;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/init.elf"),
    (name = "thread-check", data = embed "/build/user/thread-check.elf"),
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
      (name = "thread-check", binary = "thread-check", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
        (name = "vm", expectedInterfaceId = 0xd1393a1477943b4e, source = (kernel = virtualMemory)),
        (name = "threads", expectedInterfaceId = 0xa90136ba275b4490, source = (kernel = threadSpawner)),
        (name = "thread", expectedInterfaceId = 0x96da06379c0be040, source = (kernel = threadControl)),
        (name = "park", expectedInterfaceId = 0xf9b09c61753c2c08, source = (kernel = parkSpace)),
      ]),
      (name = "park-exit", binary = "thread-check", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
        (name = "threads", expectedInterfaceId = 0xa90136ba275b4490, source = (kernel = threadSpawner)),
        (name = "thread", expectedInterfaceId = 0x96da06379c0be040, source = (kernel = threadControl)),
        (name = "park", expectedInterfaceId = 0xf9b09c61753c2c08, source = (kernel = parkSpace)),
        (name = "role-park-exit", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
      ]),
    ],
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
