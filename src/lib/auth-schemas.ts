/** Sign-up and sign-in payloads, for the JSON API and the forms alike. */
import { z } from 'zod';

export const usernameSchema = z
	.string()
	.trim()
	.min(3, 'must be at least 3 characters')
	.max(32, 'must be at most 32 characters')
	.regex(/^[a-zA-Z0-9_.-]+$/, 'may contain letters, digits, dot, dash and underscore');

export const signupSchema = z.object({
	username: usernameSchema,
	password: z.string().min(8, 'must be at least 8 characters').max(256, 'is too long'),
	displayName: z.string().trim().max(64, 'must be at most 64 characters').optional()
});

export const loginSchema = z.object({
	username: z.string().trim().min(1, 'is required').max(64),
	password: z.string().min(1, 'is required').max(256)
});
