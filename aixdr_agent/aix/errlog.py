"""errlogger: an operator message (label OPMSG) in the AIX error log."""


def errlogger_argv(text):
    return ("errlogger", text)
