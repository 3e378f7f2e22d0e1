// ESLint for the browser code of the chat widget and the agents' console (ES modules served
// as-is, no build step). `scripts/lint.sh` runs it; so does the test command.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/**", "var/**", "models/**", ".venv/**", ".venv-rasa/**", "results/**"] },
  js.configs.recommended,
  {
    files: ["bot/web/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      "prefer-const": "error",
      "no-var": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // the loader a shop's page includes: a classic script that older browsers also parse
    files: ["bot/web/widget/fernhill-chat.js"],
    languageOptions: { sourceType: "script" },
    rules: { "no-var": "off" },
  },
];
