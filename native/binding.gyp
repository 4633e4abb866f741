{
  "targets": [
    {
      "target_name": "person_key",
      "sources": ["person_key.c"],
      "cflags": ["-O2", "-Wall"],
      "libraries": ["-ldl"]
    }
  ]
}
