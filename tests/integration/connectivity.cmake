# The connectivity core (HTTP, retry, OAuth, typed clients) against ml-connector-sim over loopback.
add_app_test(NAME tst_Connectivity SOURCES tst_Connectivity.cpp SimTestClient.h
             LIBS mlcore Qt6::Network Qt6::HttpServer LABELS integration TIMEOUT 600)
add_dependencies(tst_Connectivity ml-connector-sim)

# The sync as a user runs it: the ml-connector-cli process against the simulator.
add_app_test(NAME tst_SyncEndToEnd SOURCES tst_SyncEndToEnd.cpp SimTestClient.h
             LIBS mlcore Qt6::Network Qt6::HttpServer LABELS integration TIMEOUT 900)
add_dependencies(tst_SyncEndToEnd ml-connector-sim ml-connector-cli)
