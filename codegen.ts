// GraphQL Code Generator (client preset) for a TypeScript front end: typed documents for every operation of
// the client contract, with the service's custom scalars mapped to what travels in JSON.
//
//   npm install --save-dev @graphql-codegen/cli@7.4.3 @graphql-codegen/client-preset@6.2.0 graphql@16.15.0
//   npx graphql-codegen --config codegen.ts
//
// In a front-end repository, point `schema` at this service's schema.graphql (or http://host/graphql, which
// needs introspection open to you) and `documents` at the app's own .graphql files or gql`` tags.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["tests/contract/operations/**/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "generated/graphql/": {
      preset: "client",
      config: {
        // Decimal travels as a string ("1234.50") so no precision is lost; Period as "2026-Q3" / "2026-H1" /
        // "2026"; Date as "2026-03-05"; DateTime as ISO 8601 with an offset ("2026-03-05T06:30:00+00:00").
        scalars: {
          Date: "string",
          DateTime: "string",
          Decimal: "string",
          Period: "string",
          Upload: "File", // a multipart part (uploadAttachment), never inline JSON
        },
        strictScalars: true, // a new custom scalar without a mapping fails the generation instead of `unknown`
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
