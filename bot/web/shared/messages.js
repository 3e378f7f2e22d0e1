// The messages that travel between the action server, Rasa and the front ends: the JSDoc mirror
// of bot/messages/ (Python). Served as-is at /shared/messages.js to the chat widget and the
// agents' console; it has no dependencies and touches no DOM.

/**
 * @typedef {Object} ProductItem
 * @property {string} sku
 * @property {string} name
 * @property {string} price two decimals, e.g. "49.00"
 * @property {string} currency
 * @property {number} stock
 * @property {string} image link relative to the web app
 * @property {string} url link relative to the web app
 */

/**
 * @typedef {Object} ProductsCard products a knowledge answer is about
 * @property {"products"} type
 * @property {ProductItem[]} products
 */

/**
 * @typedef {Object} SourceRef
 * @property {string} id
 * @property {string} title
 * @property {string|null} url
 */

/**
 * @typedef {Object} AnswerInfo how a knowledge answer was made
 * @property {boolean} grounded
 * @property {boolean} fallback
 * @property {boolean} generated
 * @property {boolean} too_slow
 */

/**
 * @typedef {Object} SourcesCard the sources of a knowledge answer
 * @property {"sources"} type
 * @property {SourceRef[]} sources
 * @property {AnswerInfo} [answer]
 */

/**
 * @typedef {Object} OrderItem
 * @property {string} sku
 * @property {string} name
 * @property {number} qty
 */

/**
 * @typedef {Object} TrackingEvent
 * @property {string} at ISO 8601
 * @property {string} location
 * @property {string} description
 */

/**
 * @typedef {Object} OrderStatusCard
 * @property {"order_status"} type
 * @property {string} order_id
 * @property {string} status
 * @property {string} placed_at ISO 8601
 * @property {string} total two decimals
 * @property {string} currency
 * @property {OrderItem[]} items
 * @property {string|null} carrier
 * @property {string|null} tracking_number
 * @property {string|null} estimated_delivery ISO 8601 date
 * @property {TrackingEvent[]} events
 */

/**
 * @typedef {Object} AgentJoinedCard a person of the team joined the chat
 * @property {"agent_joined"} type
 * @property {string} agent
 */

/**
 * @typedef {Object} AgentLeftCard the person left; the assistant answers again
 * @property {"agent_left"} type
 */

/**
 * @typedef {Object} RatingRequestCard the conversation was resolved: ask for a rating
 * @property {"rating_request"} type
 */

/**
 * @typedef {ProductsCard|SourcesCard|OrderStatusCard|AgentJoinedCard|AgentLeftCard|RatingRequestCard} Card
 */

/**
 * @typedef {Object} SourceLink a source under a bot line of the console's transcript
 * @property {string} title
 * @property {string|null} url
 */

/**
 * @typedef {Object} StoredMessage one line of the console's transcript
 * @property {number} id
 * @property {"contact"|"bot"|"agent"|"system"} sender
 * @property {string} text
 * @property {string|null} agent
 * @property {string|null} intent
 * @property {number|null} confidence
 * @property {number|null} sentiment
 * @property {SourceLink[]|null} sources
 * @property {string} created_at ISO 8601
 * @property {Card|null} card the card a bot line carried, when read live
 */

/** Every card type the assistant sends (bot.messages.CARD_TYPES). */
export const CARD_TYPES = Object.freeze([
  "products", "sources", "order_status", "agent_joined", "agent_left", "rating_request",
]);

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The card in a message, or null when it carries none (or one of an unknown type).
 * Reads a socket.io bot_uttered payload (the card itself), a REST reply ({custom: {data: card}}),
 * an envelope ({data: card}) or a tracker bot event ({event: "bot", data: {custom: {data}}}).
 * @param {unknown} message
 * @returns {Card|null}
 */
export function readCard(message) {
  let value = message;
  for (const key of ["event", "custom", "data"]) {
    if (isObject(value) && key in value) value = key === "event" ? value.data : value[key];
  }
  return isObject(value) && CARD_TYPES.includes(value.type) ? /** @type {Card} */ (value) : null;
}
