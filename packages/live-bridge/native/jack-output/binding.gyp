{
  "targets": [
    {
      "target_name": "jack_output",
      "sources": ["jack_output.c"],
      "cflags": ["-std=c11", "-O2", "-Wall", "-Wextra", "-D_POSIX_C_SOURCE=200809L"],
      "libraries": ["-Wl,--no-as-needed", "-ljack"]
    }
  ]
}
