// Auth.js endpoints (sign-in callbacks, session, CSRF). Its own checks apply; nothing workspace-scoped here.
import { handlers } from "@/lib/auth/auth";

export const { GET, POST } = handlers;
