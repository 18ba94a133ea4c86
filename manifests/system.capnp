# The default capOS boot manifest: a SystemManifest constant that
# tools/mkmanifest evaluates (`capnp eval -I. -b manifests/system.capnp
# manifest`), checks and re-encodes into build/manifest-system.bin
# (docs/manifest.md).
#
# Until the init service lands (manifest pipeline issue), init is the hello
# program: it writes one line through its Console cap and exits, and the
# kernel halts cleanly once nothing is left to run.
@0xc1a2b3c4d5e6f708;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/hello.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
      ],
    ),
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
