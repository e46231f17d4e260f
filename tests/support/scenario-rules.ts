/**
 * The rules a SOC engineer would write for the two classic scenarios: SSH brute force (a
 * count of failures chained into an ordered sequence with the success) and a port scan
 * followed by an exploit. Shared by the e2e suites that raise incidents from them.
 */
export const SCENARIO_RULES = `
title: SSH brute force followed by a successful login
id: e2e-ssh-brute-force
level: high
tags: [attack.credential_access, attack.t1110]
correlation:
  type: temporal_ordered
  rules: [ssh_failures, ssh-login-success]
  group-by: [src_ip]
  timespan: 10m
---
title: Repeated SSH failures from one source
name: ssh_failures
correlation:
  type: event_count
  rules: [ssh-failed-login]
  group-by: [src_ip]
  timespan: 5m
  condition:
    gte: 3
---
title: Port scan then exploit from one source
id: e2e-scan-then-exploit
level: critical
tags: [attack.discovery, attack.t1046, attack.initial_access, attack.t1190]
correlation:
  type: temporal_ordered
  rules: [port-scan, exploit_attempt]
  group-by: [src_ip]
  timespan: 30m
---
title: Exploit attempt
name: exploit_attempt
detection:
  selection:
    rule_name|contains: exploit
  condition: selection
`;
