# tools/mkmanifest test: an operator overlay setting both KernelParams fields.
@0xcac014b9d9b767c1;

using import "/schema/capos.capnp".KernelParams;

const local :KernelParams = (
  motd = "hello from the overlay",
  terminalPort = com1,
);
