"""TCP/IP configuration commands: mktcpip (host name, address, netmask, gateway of one
interface at once) and hostname."""


def mktcpip_argv(hostname, address, netmask, interface, gateway=None):
    argv = ["mktcpip", "-h", hostname, "-a", address, "-m", netmask, "-i", interface]
    if gateway:
        argv += ["-g", gateway]
    return tuple(argv)


def hostname(runner):
    """`hostname`: the running host name (the command's result)."""
    return runner.query(["hostname"], check=False)
