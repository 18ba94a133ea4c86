# The memory-capability boot: init spawns the memory children.
#
#   memory-check         VirtualMemory reserve/commit/decommit/protect,
#                        quotas, hostile ranges; FrameAllocator objects
#   memoryobject-shared  a MemoryObject shared with a spawned child
#   ipc-zerocopy         a MemoryObject handed over an endpoint, then
#                        records through the shared mapping
@0xc1a2b3c4d5e6f71b;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/init.elf"),
    (name = "memory-check", data = embed "/build/user/memory-check.elf"),
    (name = "memoryobject-shared", data = embed "/build/user/memoryobject-shared.elf"),
    (name = "ipc-zerocopy", data = embed "/build/user/ipc-zerocopy.elf"),
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
      (name = "memory-check", binary = "memory-check", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "vm", expectedInterfaceId = 0xd1393a1477943b4e, source = (kernel = virtualMemory)),
        (name = "frames", expectedInterfaceId = 0xd8c105bd3dc44b48, source = (kernel = frameAllocator)),
      ]),
      (name = "memoryobject-shared", binary = "memoryobject-shared", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "frames", expectedInterfaceId = 0xd8c105bd3dc44b48, source = (kernel = frameAllocator)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
      ]),
      (name = "ipc-zerocopy", binary = "ipc-zerocopy", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "frames", expectedInterfaceId = 0xd8c105bd3dc44b48, source = (kernel = frameAllocator)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
      ]),
    ],
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
