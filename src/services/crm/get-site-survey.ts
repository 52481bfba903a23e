import { z } from 'zod';
import { SiteSurvey } from '../../entities/domain/site-survey.entity.js';
import { AppError } from '../../errors.js';
import { defineServiceMethod } from '../registry.js';

const input = z.object({ customerId: z.guid() });

/** The customer's most recent completed site survey: what the installation will be built on. */
export const getSiteSurvey = defineServiceMethod({
  service: 'crm',
  method: 'getSiteSurvey',
  description:
    'The latest completed site survey of a customer. Returns {surveyId, customerId, address, latitude, longitude, signalStrengthDbm, recommendedBandwidth, cpeSerial, serviceLocation, completedAt}.',
  effects: 'none',
  input,
  output: z.looseObject({
    surveyId: z.uuid(),
    customerId: z.guid(),
    address: z.string(),
    recommendedBandwidth: z.string().nullable(),
    cpeSerial: z.string().nullable(),
    serviceLocation: z.string().nullable(),
  }),
  async run(ctx, { customerId }) {
    const survey = await ctx.em.findOne(
      SiteSurvey,
      { tenant: ctx.tenantId, customer: customerId, status: 'completed' },
      { orderBy: { completedAt: 'desc nulls last', createdAt: 'desc' } },
    );
    if (!survey) throw new AppError('NOT_FOUND', `customer ${customerId} has no completed site survey`);
    return {
      surveyId: survey.id,
      customerId,
      address: survey.address,
      latitude: survey.latitude ?? null,
      longitude: survey.longitude ?? null,
      signalStrengthDbm: survey.signalStrengthDbm ?? null,
      recommendedBandwidth: survey.recommendedBandwidth ?? null,
      cpeSerial: survey.cpeSerial ?? null,
      serviceLocation: survey.serviceLocation ?? null,
      completedAt: survey.completedAt?.toISOString() ?? null,
    };
  },
});
