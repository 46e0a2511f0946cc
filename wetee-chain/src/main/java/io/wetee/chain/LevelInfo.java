package io.wetee.chain;

import java.math.BigInteger;

/**
 * A price level: wei per block per unit of each resource, the minimum worker stake, and the most
 * one workload may ask for.
 */
public record LevelInfo(
    int id,
    BigInteger priceCpu,
    BigInteger priceMemory,
    BigInteger priceDisk,
    BigInteger priceGpu,
    BigInteger minStake,
    Resources max) {
  /** Wei per block for the given resources at this level. */
  public BigInteger pricePerBlock(Resources r) {
    return priceCpu
        .multiply(BigInteger.valueOf(r.cpu()))
        .add(priceMemory.multiply(BigInteger.valueOf(r.memory())))
        .add(priceDisk.multiply(BigInteger.valueOf(r.disk())))
        .add(priceGpu.multiply(BigInteger.valueOf(r.gpu())));
  }
}
