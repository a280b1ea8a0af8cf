"""The run engine: ports, one sync of a job (lock → read → workflow → diff → write → record), problem tab, schedules."""
