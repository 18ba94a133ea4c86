# The default capOS boot manifest: a SystemManifest constant that
# tools/mkmanifest evaluates (`capnp eval -I. -b manifests/system.capnp
# manifest`), checks and re-encodes into build/manifest-system.bin
# (docs/manifest.md).
#
# The kernel starts only init, with Console, BootPackage and
# ProcessSpawner; init reads this manifest back, validates the service
# graph and starts the services. Until the shell lands (boot-to-shell
# issue) the one service is hello: it writes one line and exits, init
# reports it and exits, and the kernel halts cleanly.
@0xc1a2b3c4d5e6f708;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/init.elf"),
    (name = "hello", data = embed "/build/user/hello.elf"),
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
      (name = "hello", binary = "hello", caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
      ]),
    ],
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
