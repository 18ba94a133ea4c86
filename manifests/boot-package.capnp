# BootPackage from the holder's side: init is bootpkg-check, which reads
# the manifest back in several chunk sizes and probes the edges.
@0xc1a2b3c4d5e6f71a;

using import "/schema/capos.capnp".SystemManifest;

const manifest :SystemManifest = (
  schemaVersion = 1,
  binaries = [
    (name = "init", data = embed "/build/user/bootpkg-check.elf"),
  ],
  initConfig = (
    init = (
      name = "init",
      binary = "init",
      caps = [
        (name = "console", expectedInterfaceId = 0x970e2c0a63e35e77, source = (kernel = console)),
        (name = "boot", expectedInterfaceId = 0xc2b39eafa7c7f39b, source = (kernel = bootPackage)),
      ],
    ),
  ),
  kernelParams = (motd = "Welcome to capOS."),
);
