// Pinned versions and their Maven Central coordinates. Bumping a version here
// makes the next `up` fetch into a new cache folder; the old one is left alone.

export const KAFKA_VERSION = '3.9.1';
export const APICURIO_VERSION = '3.0.9';
export const OPENSEARCH_VERSION = '2.19.3';

// 3.1.x stopped publishing the `:tar.gz:all` distribution to Central, hence 3.0.x.
export const APICURIO_ARTIFACT = `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`;
export const APICURIO_RUNNER_JAR = `apicurio-registry-app-${APICURIO_VERSION}-runner.jar`;

// The integ-test zip is the only OpenSearch distribution on Central; it has no
// bundled JDK and only the transport module, which is enough for indexing/search.
export const OPENSEARCH_ARTIFACT = `org.opensearch.distribution.integ-test-zip:opensearch:${OPENSEARCH_VERSION}:zip`;

export const KAFKA_MAIN_JAR = `kafka_2.13-${KAFKA_VERSION}.jar`;
