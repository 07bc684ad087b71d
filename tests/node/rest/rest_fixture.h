#pragma once
// Starts a RestService (API and ops servers) on free 127.0.0.1 ports over a TestChain, with its
// io_context on a background thread.

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>

#include "node/rest/rest_service.h"
#include "tests/node/rest/http_client.h"
#include "tests/node/rest/test_chain.h"

namespace metaledger::rest::testing {

class RestFixture : public ::testing::Test {
 protected:
  void StartServer(RestOptions api = {}, RestOptions ops = {}) {
    service_ = std::make_unique<RestService>(
        io_, api, ops, RestDeps{reader_, views_ptr_, &backend_, &metrics_, "0.1.0-test"});
    ASSERT_TRUE(service_->Start().ok());
    api_port_ = service_->api_port();
    ops_port_ = service_->ops_port();
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    if (service_) service_->Stop();
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
    service_.reset();
  }

  TestChain chain_{6};
  const ChainReader* reader_ = &chain_;       // tests may serve another reader
  const ContractViews* views_ptr_ = &views_;  // ... and other views
  FakeViews views_;
  FakeBackend backend_{&chain_};
  MetricsRegistry metrics_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  std::unique_ptr<RestService> service_;
  std::thread thread_;
  uint16_t api_port_ = 0;
  uint16_t ops_port_ = 0;
};

}  // namespace metaledger::rest::testing
