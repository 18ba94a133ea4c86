# tools/mkmanifest test: an operator overlay of the wrong type.
@0xd1b0f43b401192c2;

using import "/schema/capos.capnp".KernelParams;

const local :KernelParams = (motd = 5);
