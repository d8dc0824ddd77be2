# Change detection (webhook receiver, notification channels, poller) against ml-connector-sim over loopback.
add_app_test(NAME tst_ChannelsAndPolling SOURCES tst_ChannelsAndPolling.cpp SimTestClient.h
             LIBS mlcore Qt6::Network Qt6::HttpServer LABELS integration TIMEOUT 600)
add_dependencies(tst_ChannelsAndPolling ml-connector-sim)
