# A terminal handed over with a read pending: init is term-handover, which
# moves the terminal to a copy of itself (tests/qemu/term-handover.scenario).
@0xc1a2b3c4d5e6f721;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/term-handover.elf"),
    (name = "term-handover", data = embed "/build/user/term-handover.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "terminal", expectedInterfaceId = 0xba17bbd6ac1f8626, source = (kernel = terminal)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
      ],
    ),
  ),
);
