#pragma once
// The engine's public API (what evals/ and harness/ include):
//   Model::Load(path)          -> a validated, memory-mapped model  (engine/model/model.h)
//   Session(model, options)    -> KV cache + thread pool + kernels  (engine/runtime/session.h)
//   Session::Score / Generate  -> log-likelihoods and text
#include "engine/model/model.h"
#include "engine/runtime/session.h"
