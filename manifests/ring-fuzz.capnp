# The in-guest ring fuzzer as init, holding one of most kernel objects so
# random CALLs reach real methods.
@0xc1a2b3c4d5e6f71d;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/ring-fuzz.elf"),
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
        (name = "vm", expectedInterfaceId = 0xd1393a1477943b4e, source = (kernel = virtualMemory)),
        (name = "frames", expectedInterfaceId = 0xd8c105bd3dc44b48, source = (kernel = frameAllocator)),
        (name = "thread", expectedInterfaceId = 0x96da06379c0be040, source = (kernel = threadControl)),
      ],
    ),
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
