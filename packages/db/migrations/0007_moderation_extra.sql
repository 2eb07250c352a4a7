-- Reserved for schema additions made while the guides / moderation / health work is in progress; folded into one migration before landing.
SELECT 1;
