// aws/aws.hpp: the public face of bw::aws.
#pragma once

#include "aws/athena.hpp"
#include "aws/aws_client.hpp"
#include "aws/aws_error.hpp"
#include "aws/cloudformation.hpp"
#include "aws/credentials.hpp"
#include "aws/credentials_chain.hpp"
#include "aws/credentials_provider.hpp"
#include "aws/endpoints.hpp"
#include "aws/env.hpp"
#include "aws/s3.hpp"
#include "aws/secrets_manager.hpp"
#include "aws/sigv4.hpp"
#include "aws/sqs.hpp"
