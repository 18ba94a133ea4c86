# The default capOS boot manifest: a SystemManifest constant that
# tools/mkmanifest evaluates (`capnp eval -I. -b manifests/system.capnp
# manifest`), checks and re-encodes into build/manifest-system.bin
# (docs/manifest.md).
#
# The kernel starts only init, with Console, BootPackage and
# ProcessSpawner; init reads this manifest back, validates the service
# graph and starts capos-shell on the terminal (COM2). The shell holds the
# terminal, a restricted launcher (only the binaries of launcherAllowlist,
# only grants of its own caps) and an endpoint it serves its children's
# StdIO on. Leaving the shell ends init, and the machine halts cleanly.
@0xc1a2b3c4d5e6f708;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/init.elf"),
    (name = "capos-shell", data = embed "/build/user/capos-shell.elf"),
    (name = "hello", data = embed "/build/user/hello.elf"),
    (name = "echo", data = embed "/build/user/echo.elf"),
    (name = "stranger", data = embed "/build/user/stranger.elf"),
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
      (name = "capos-shell", binary = "capos-shell", waitPolicy = haltOnExit, caps = [
        (name = "terminal", expectedInterfaceId = 0xba17bbd6ac1f8626, source = (kernel = terminal)),
        (name = "launcher", expectedInterfaceId = 0xf929832aa855612a, source = (kernel = restrictedShellLauncher)),
        (name = "stdio", expectedInterfaceId = 0xa57d6bfd25901b83, source = (kernel = endpoint)),
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "timer", expectedInterfaceId = 0xb157b9d7c98102a5, source = (kernel = timer)),
      ]),
    ],
  ),
  kernelParams = (
    motd = "Welcome to capOS.",
    launcherAllowlist = ["hello", "echo", "stranger"],
  ),
);
