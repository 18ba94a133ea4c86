# tools/mkmanifest test: good-graph.capnp with an import expecting another interface than the export's.
@0xd75fc4088d19ce86;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/hello.elf"),
    (name = "log", data = embed "/build/user/hello.elf"),
    (name = "chat", data = embed "/build/user/hello.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "spawner", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = processSpawner)),
      ],
    ),
    services = [
      (
        name = "log",
        binary = "log",
        waitPolicy = resident,
        caps = [
          (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
          (name = "ctl", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
        ],
        exports = [(name = "console", cap = "ctl", interfaceId = 0x970e2c0a63e35e77)],
      ),
      (
        name = "chat",
        binary = "chat",
        caps = [
          (name = "log", expectedInterfaceId = 0xa57d6bfd25901b83,
           source = (service = (service = "log", export = "console"))),
          (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
        ],
      ),
    ],
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
