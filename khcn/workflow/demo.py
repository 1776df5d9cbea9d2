"""The workflow engine has no demo records of its own: the S&T tasks of the demo (Hải Phòng
on vn-2013, Hà Nội on hn-05-2021) are walked through the task and council services, and
through the engine, in `khcn.projects.demo`."""
