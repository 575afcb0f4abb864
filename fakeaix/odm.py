"""Predefined device types and attributes (the fake's PdDv/PdAt).

Each attribute: (name, default, description, user_settable, legal values). Legal values are
None (anything), a list (lsattr -R prints one per line) or a (min, max, inc) range. Rows are
kept in byte-wise sorted order, which is the PdAt order real AIX prints.
"""

TF = ["true", "false"]

SYS0 = [
    ("SW_dist_intr", "false", "Enable SW distribution of interrupts", "True", TF),
    ("autorestart", "true", "Automatically REBOOT OS after a crash", "True", TF),
    ("boottype", "disk", "N/A", "False", None),
    ("capacity_inc", "0.01", "Processor capacity increment", "False", None),
    ("capped", "false", "Partition is capped", "False", None),
    ("chown_restrict", "true", "Chown Restriction Mode", "True", TF),
    ("clouddev", "0", "Recreate ODM devices on next boot", "True", ["0", "1"]),
    ("conslogin", "enable", "System Console Login", "False", None),
    ("cpuguard", "enable", "CPU Guard", "True", ["enable", "disable"]),
    ("dedicated", "false", "Partition is dedicated", "False", None),
    ("enhanced_RBAC", "true", "Enhanced RBAC Mode", "True", TF),
    ("ent_capacity", "0.50", "Entitled processor capacity", "False", None),
    ("frequency", "6400000000", "System Bus Frequency", "False", None),
    ("fullcore", "false", "Enable full CORE dump", "True", TF),
    ("fwversion", "IBM,FW950.10 (VL950_092)", "Firmware version and revision levels", "False",
     None),
    ("ghostdev", "0", "Recreate ODM devices on system change / modify PVID", "True",
     ["0", "1", "2", "3"]),
    ("id_to_partition", "0X800005AB1C200001", "Partition ID", "False", None),
    ("id_to_system", "0X800005AB1C200000", "System ID", "False", None),
    ("iostat", "false", "Continuously maintain DISK I/O history", "True", TF),
    ("max_capacity", "2.00", "Maximum potential processor capacity", "False", None),
    ("max_logname", "9", "Maximum login name length at boot time", "True", (9, 256, 1)),
    ("maxbuf", "20", "Maximum number of pages in block I/O BUFFER CACHE", "True", (20, 1000, 1)),
    ("maxmbuf", "0", "Maximum Kbytes of real memory allowed for MBUFS", "True",
     (0, 2147483647, 1)),
    ("maxpout", "8193", "HIGH water mark for pending write I/Os per file", "True",
     (0, 2147483647, 1)),
    ("maxuproc", "4096", "Maximum number of PROCESSES allowed per user", "True",
     (40, 131072, 1)),
    ("min_capacity", "0.10", "Minimum potential processor capacity", "False", None),
    ("minpout", "4096", "LOW water mark for pending write I/Os per file", "True",
     (0, 2147483647, 1)),
    ("modelname", "IBM,9009-42A", "Machine name", "False", None),
    ("ncargs", "256", "ARG/ENV list size in 4K byte blocks", "True", (6, 1024, 1)),
    ("nfs4_acl_compat", "secure", "NFS4 ACL Compatibility Mode", "True",
     ["secure", "revert", "strict"]),
    ("ngroups_allowed", "128", "Number of Groups Allowed", "True", (32, 2048, 1)),
    ("os_uuid", "", "N/A", "True", None),
    ("pre430core", "false", "Use pre-430 style CORE dump", "True", TF),
    ("pre520tune", "disable", "Pre-520 tuning compatibility mode", "True", ["enable", "disable"]),
    ("realmem", "16777216", "Amount of usable physical memory in Kbytes", "False", None),
    ("rtasversion", "1", "Open Firmware RTAS version", "False", None),
    ("sed_config", "select", "Stack Execution Disable (SED) Mode", "True",
     ["off", "select", "setidfiles", "all"]),
    ("systemid", "IBM,0278A1B2C", "Hardware system identifier", "False", None),
    ("variable_weight", "128", "Variable processor capacity weight", "False", None),
]

INET0 = [
    ("authm", "65536", "Authentication Methods", "True", None),
    ("bootup_option", "no", "Use BSD-style Network Configuration", "True", ["no", "yes"]),
    ("gateway", "", "Gateway", "True", None),
    ("hostname", "", "Host Name", "True", None),
    ("rout6", "", "IPv6 Route", "True", None),
    ("route", "", "Route", "True", None),
]

EN = [
    ("alias4", "", "IPv4 Alias including Subnet Mask", "True", None),
    ("alias6", "", "IPv6 Alias including Prefix Length", "True", None),
    ("arp", "on", "Address Resolution Protocol (ARP)", "True", ["on", "off"]),
    ("authority", "", "Authorized Users", "True", None),
    ("broadcast", "", "Broadcast Address", "True", None),
    ("monitor", "off", "Enable/Disable monitor attribute", "True", ["on", "off"]),
    ("mtu", "1500", "Maximum IP Packet Size for This Device", "True", (60, 65536, 1)),
    ("mtu_bypass", "off", "Enable/Disable largesend for virtual Ethernet", "True", ["on", "off"]),
    ("netaddr", "", "Internet Address", "True", None),
    ("netaddr6", "", "IPv6 Internet Address", "True", None),
    ("netmask", "", "Subnet Mask", "True", None),
    ("prefixlen", "", "Prefix Length for IPv6 Internet Address", "True", None),
    ("remmtu", "576", "Maximum IP Packet Size for REMOTE Networks", "True", (576, 65536, 1)),
    ("rfc1323", "", "Enable/Disable TCP RFC 1323 Window Scaling", "True", None),
    ("security", "none", "Security Level", "True", None),
    ("state", "", "Current Interface Status", "True", ["up", "down", "detach"]),
    ("tcp_mssdflt", "", "Set TCP Maximum Segment Size", "True", None),
    ("tcp_nodelay", "", "Enable/Disable TCP_NODELAY Option", "True", None),
    ("tcp_recvspace", "", "Set Socket Buffer Space for Receiving", "True", None),
    ("tcp_sendspace", "", "Set Socket Buffer Space for Sending", "True", None),
    ("thread", "off", "Enable/Disable thread attribute", "True", ["on", "off"]),
]

LO = [
    ("mtu", "16896", "Maximum IP Packet Size for This Device", "True", None),
    ("netaddr", "127.0.0.1", "Internet Address", "True", None),
    ("netaddr6", "::1", "IPv6 Internet Address", "True", None),
    ("netmask", "", "Subnet Mask", "True", None),
    ("prefixlen", "", "IPv6 Alias including Prefix Length", "True", None),
    ("rfc1323", "", "Enable/Disable TCP RFC 1323 Window Scaling", "True", None),
    ("state", "up", "Current Interface Status", "True", ["up", "down", "detach"]),
    ("tcp_mssdflt", "", "Set TCP Maximum Segment Size", "True", None),
    ("tcp_nodelay", "", "Enable/Disable TCP_NODELAY Option", "True", None),
    ("tcp_recvspace", "", "Set Socket Buffer Space for Receiving", "True", None),
    ("tcp_sendspace", "", "Set Socket Buffer Space for Sending", "True", None),
]

HDISK = [
    ("PCM", "PCM/friend/fcpother", "Path Control Module", "False", None),
    ("PR_key_value", "none", "Persistant Reserve Key Value", "True+", None),
    ("algorithm", "fail_over", "Algorithm", "True+", ["fail_over", "round_robin",
                                                      "shortest_queue"]),
    ("clr_q", "no", "Device CLEARS its Queue on error", "True", ["no", "yes"]),
    ("dist_err_pcnt", "0", "Distributed Error Percentage", "True", (0, 100, 1)),
    ("dist_tw_width", "50", "Distributed Error Sample Time", "True", (50, 10000, 1)),
    ("hcheck_cmd", "test_unit_rdy", "Health Check Command", "True+", ["test_unit_rdy",
                                                                    "inquiry"]),
    ("hcheck_interval", "60", "Health Check Interval", "True+", (0, 3600, 1)),
    ("hcheck_mode", "nonactive", "Health Check Mode", "True+", ["enabled", "failed",
                                                              "nonactive"]),
    ("location", "", "Location Label", "True+", None),
    ("lun_id", "", "Logical Unit Number ID", "False", None),
    ("lun_reset_spt", "yes", "LUN Reset Supported", "True", ["yes", "no"]),
    ("max_coalesce", "0x40000", "Maximum Coalesce Size", "True", None),
    ("max_retry_delay", "60", "Maximum Quiesce Time", "True", (0, 240, 1)),
    ("max_transfer", "0x40000", "Maximum TRANSFER Size", "True", None),
    ("min_rw_to", "30", "Minimum value for rw_timeout", "False", None),
    ("node_name", "", "FC Node Name", "False", None),
    ("pvid", "none", "Physical volume identifier", "False", None),
    ("q_err", "yes", "Use QERR bit", "True", ["yes", "no"]),
    ("q_type", "simple", "Queuing TYPE", "True", ["no", "simple"]),
    ("queue_depth", "20", "Queue DEPTH", "True+", (1, 256, 1)),
    ("reassign_to", "120", "REASSIGN time out value", "True", (0, 1000, 1)),
    ("reserve_policy", "single_path", "Reserve Policy", "True+",
     ["no_reserve", "single_path", "PR_exclusive", "PR_shared"]),
    ("rw_max_time", "0", "Maximum I/O completion time", "True+", (0, 3600, 1)),
    ("rw_timeout", "30", "READ/WRITE time out value", "True", (30, 180, 1)),
    ("scsi_id", "", "SCSI ID", "False", None),
    ("size_in_mb", "", "Size in Megabytes", "False", None),
    ("start_timeout", "60", "START unit time out value", "True", (60, 300, 1)),
    ("timeout_policy", "fail_path", "Timeout Policy", "True+",
     ["retry_path", "fail_path", "disable_path"]),
    ("unique_id", "", "Unique device identifier", "False", None),
    ("ww_name", "", "FC World Wide Name", "False", None),
]

FSCSI = [
    ("attach", "switch", "How this adapter is CONNECTED", "False", None),
    ("dyntrk", "no", "Dynamic Tracking of FC Devices", "True+", ["no", "yes"]),
    ("fc_err_recov", "delayed_fail", "FC Fabric Event Error RECOVERY Policy", "True+",
     ["delayed_fail", "fast_fail"]),
    ("scsi_id", "0x10200", "Adapter SCSI ID", "False", None),
    ("sw_fc_class", "3", "FC Class for Fabric", "True", ["1", "2", "3"]),
]

FCS = [
    ("lg_term_dma", "0x800000", "Long term DMA", "True", None),
    ("max_xfer_size", "0x100000", "Maximum Transfer Size", "True", None),
    ("num_cmd_elems", "200", "Maximum number of COMMANDS to queue to the adapter", "True",
     (20, 2048, 1)),
]

ENT = [
    ("alt_addr", "0x000000000000", "Alternate Ethernet Address", "True", None),
    ("chksum_offload", "yes", "Checksum Offload Enable", "True", ["yes", "no"]),
    ("min_buf_tiny", "512", "Min Tiny Buffers", "True", (512, 4096, 1)),
]

VGTYPE = [
    ("auto_on", "y", "N/A", "True", ["y", "n"]),
    ("conc_auto_on", "n", "N/A", "True", ["y", "n"]),
    ("conc_capable", "n", "N/A", "True", ["y", "n"]),
    ("gbl_pbuf_cnt", "0", "N/A", "True", None),
    ("pv", "", "N/A", "True", None),
    ("timestamp", "", "N/A", "True", None),
    ("vg_pbuf_cnt", "0", "N/A", "True", None),
    ("vgserial_id", "", "N/A", "True", None),
]

LVTYPE = [
    ("copies", "1", "N/A", "True", None),
    ("inter", "m", "N/A", "True", None),
    ("intra", "m", "N/A", "True", None),
    ("label", "None", "N/A", "True", None),
    ("lvserial_id", "", "N/A", "False", None),
    ("relocatable", "y", "N/A", "True", None),
    ("size", "", "N/A", "True", None),
    ("strictness", "y", "N/A", "True", None),
    ("stripe_width", "0", "N/A", "True", None),
    ("type", "jfs2", "N/A", "False", None),
    ("upperbound", "1024", "N/A", "True", None),
]

# type -> class, subclass, description, PdAt rows, method used in chdev error frames
TYPES = {
    "chrp": ("sys", "node", "System Object", SYS0, "/usr/lib/methods/chgsys"),
    "inet": ("tcpip", "TCPIP", "Internet Network Extension", INET0, "/usr/lib/methods/chginet"),
    "en": ("if", "EN", "Standard Ethernet Network Interface", EN, "/usr/lib/methods/chgif"),
    "et": ("if", "EN", "IEEE 802.3 Ethernet Network Interface", EN, "/usr/lib/methods/chgif"),
    "lo": ("if", "LO", "Loopback Network Interface", LO, "/usr/lib/methods/chgif"),
    "mpioosdisk": ("disk", "fcp", "MPIO IBM 2076 FC Disk", HDISK, "/usr/lib/methods/chgdisk"),
    "efscsi": ("driver", "efcp", "FC SCSI I/O Controller Protocol Device", FSCSI,
               "/usr/lib/methods/chgefscsi"),
    "IBM,vfc-client": ("adapter", "vdevice", "Virtual Fibre Channel Client Adapter", FCS,
                       "/usr/lib/methods/chgvfc"),
    "IBM,l-lan": ("adapter", "vdevice", "Virtual I/O Ethernet Adapter (l-lan)", ENT,
                  "/usr/lib/methods/chgvent"),
    "IBM,vty": ("adapter", "vdevice", "LPAR Virtual Serial Adapter", [],
                "/usr/lib/methods/chgdevice"),
    "vgtype": ("logical_volume", "vgsubclass", "Volume group", VGTYPE,
               "/usr/lib/methods/chgvg"),
    "lvtype": ("logical_volume", "lvsubclass", "Logical volume", LVTYPE,
               "/usr/lib/methods/chglv"),
}

# attributes a device keeps several customized values of (one lsattr row each)
MULTI = {"alias4", "alias6", "route", "rout6"}
# write-only pseudo attributes accepted by chdev
WRITE_ONLY = {"delalias4": "alias4", "delalias6": "alias6", "delroute": "route",
              "delrout6": "rout6"}


def pdat(dtype):
    t = TYPES.get(dtype)
    return t[3] if t else []


def pdat_index(dtype):
    return {row[0]: row for row in pdat(dtype)}


def method(dtype):
    t = TYPES.get(dtype)
    return t[4] if t else "/usr/lib/methods/chgdevice"


def legal_values_text(row):
    vals = row[4]
    if vals is None:
        return row[1] + "\n" if row[1] else ""
    if isinstance(vals, list):
        return "".join(v + "\n" for v in vals)
    lo, hi, inc = vals
    return "%d...%d (+%d)\n" % (lo, hi, inc)


def valid_value(row, value):
    vals = row[4]
    if vals is None:
        return True
    if isinstance(vals, list):
        return value in vals
    lo, hi, _ = vals
    try:
        n = int(value, 0)
    except ValueError:
        return False
    return lo <= n <= hi


def sys0_defaults():
    return {row[0]: row[1] for row in SYS0}
