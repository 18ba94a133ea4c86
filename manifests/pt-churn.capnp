# Page-table reclaim: init is pt-churn, reserving, committing and
# releasing under new page tables each round (tests/qemu/pt-churn.scenario).
@0xc1a2b3c4d5e6f720;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/pt-churn.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "vm", expectedInterfaceId = 0xd1393a1477943b4e, source = (kernel = virtualMemory)),
      ],
    ),
  ),
);
