// setupFiles of the jest project "receiver-postgres": the same receiver suite, on PostgreSQL.
process.env.RECEIVER_TEST_STORE = 'postgres';
