import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  { ignores: [".next/**", ".next-*/**", "bench/results/**", "node_modules/**", ".data/**", "db/migrations/**", "next-env.d.ts", "test-results/**"] },
];
export default config;
