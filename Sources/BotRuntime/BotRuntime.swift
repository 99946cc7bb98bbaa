import FlowDSL
