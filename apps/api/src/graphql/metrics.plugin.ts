import { ApolloServerPlugin } from '@apollo/server';
import { Metrics } from '@samverka/infrastructure';

/** Counts GraphQL operations by name, type and result (errors or not) for /metrics. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, operationName, response }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          metrics.graphqlOperations.inc({
            operation: metrics.operationLabel(operation?.name?.value ?? operationName),
            type: operation?.operation ?? 'unknown',
            result: errors?.length ? 'error' : 'ok',
          });
        },
      };
    },
  };
}
