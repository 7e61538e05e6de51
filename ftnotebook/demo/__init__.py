"""The offline demo: an exchange simulator and a launcher for a real freqtrade bot.

Nothing here imports freqtrade. The bot runs in its own virtualenv as a child process;
this package only writes its config, starts it, waits for it and stops it.
"""
