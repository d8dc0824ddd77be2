# The connectivity core (HTTP, retry, OAuth, typed clients) against ml-connector-sim over loopback.
add_app_test(NAME tst_Connectivity SOURCES tst_Connectivity.cpp SimTestClient.h
             LIBS mlcore Qt6::Network Qt6::HttpServer LABELS integration TIMEOUT 600)
add_dependencies(tst_Connectivity ml-connector-sim)
