/** What a secret input looks like in plan.json (and what the review report recognises there). */
export const SECRET_MASK = "[secret]";
