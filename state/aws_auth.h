/* aws_auth.h - placeholder, filled by the object store work. */
